"""BERT for sequence classification in Flax Linen, for installs whose transformers has no Flax classes (5.x)."""

from __future__ import annotations

import flax.linen as nn
import jax.numpy as jnp


class Layer(nn.Module):
    hidden: int
    heads: int
    intermediate: int

    @nn.compact
    def __call__(self, x, mask):
        attn = nn.MultiHeadDotProductAttention(num_heads=self.heads, qkv_features=self.hidden)(x, x, mask=mask)
        x = nn.LayerNorm(epsilon=1e-12)(x + attn)
        ff = nn.Dense(self.hidden)(nn.gelu(nn.Dense(self.intermediate)(x), approximate=False))
        return nn.LayerNorm(epsilon=1e-12)(x + ff)


class BertForSequenceClassification(nn.Module):
    vocab_size: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    max_positions: int
    labels: int

    @nn.compact
    def __call__(self, input_ids, attention_mask, token_type_ids):
        positions = jnp.arange(input_ids.shape[1])[None, :]
        x = (nn.Embed(self.vocab_size, self.hidden)(input_ids)
             + nn.Embed(self.max_positions, self.hidden)(positions)
             + nn.Embed(2, self.hidden)(token_type_ids))
        x = nn.LayerNorm(epsilon=1e-12)(x)
        mask = nn.make_attention_mask(attention_mask, attention_mask)
        for _ in range(self.layers):
            x = Layer(self.hidden, self.heads, self.intermediate)(x, mask)
        pooled = jnp.tanh(nn.Dense(self.hidden)(x[:, 0]))
        return nn.Dense(self.labels)(pooled)
