"""One ttnn op family, run alone: `python ops.py FAMILY`. Exit 0 with a last line `OPRESULT {json}`.

On a mock system (TTPROBE_MOCK or TT_METAL_MOCK_CLUSTER_DESC_PATH) the op's kernels are built and its
mocked output read back, never compared: status `compiled`. On a device the output is compared with
torch by PCC: `pass` or `fail`. Exit 3 with `OPSKIP reason` when this ttnn lacks the op.
"""

import json
import os
import sys

import torch
import ttnn
from ttprobe_probe.metal import describe_device

FAMILY = sys.argv[1]
MOCK = bool(os.environ.get("TTPROBE_MOCK") or os.environ.get("TT_METAL_MOCK_CLUSTER_DESC_PATH"))
torch.manual_seed(0)


def tile(t, device, dtype=ttnn.bfloat16):
    return ttnn.from_torch(t, dtype=dtype, layout=ttnn.TILE_LAYOUT, device=device)


def rows(t, device, dtype=ttnn.bfloat16):
    return ttnn.from_torch(t, dtype=dtype, layout=ttnn.ROW_MAJOR_LAYOUT, device=device)


def pool_input(device):
    x = torch.randn((1, 16, 16, 32), dtype=torch.bfloat16)  # NHWC
    return x, rows(x.reshape(1, 1, 16 * 16, 32), device)


def op(family, d):
    """(op name, ttnn output, torch reference or None)."""
    a = torch.randn((64, 64), dtype=torch.bfloat16)
    b = torch.randn((64, 64), dtype=torch.bfloat16)
    if family == "matmul":
        return "ttnn.matmul", ttnn.matmul(tile(a, d), tile(b, d)), a.float() @ b.float()
    if family == "linear":
        bias = torch.randn((1, 64), dtype=torch.bfloat16)
        return "ttnn.linear", ttnn.linear(tile(a, d), tile(b, d), bias=tile(bias, d)), a.float() @ b.float() + bias.float()
    if family == "conv2d":
        x = torch.randn((1, 16, 16, 32), dtype=torch.bfloat16)
        w = torch.randn((32, 32, 3, 3), dtype=torch.bfloat16)
        out = ttnn.conv2d(input_tensor=ttnn.from_torch(x, dtype=ttnn.bfloat16), weight_tensor=ttnn.from_torch(w, dtype=ttnn.bfloat16),
                          device=d, in_channels=32, out_channels=32, batch_size=1, input_height=16, input_width=16,
                          kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
        ref = torch.nn.functional.conv2d(x.permute(0, 3, 1, 2).float(), w.float(), padding=1).permute(0, 2, 3, 1)
        return "ttnn.conv2d", out[0] if isinstance(out, tuple) else out, ref
    if family in ("max_pool2d", "avg_pool2d"):
        x, tx = pool_input(d)
        fn = getattr(ttnn, family)
        out = fn(tx, batch_size=1, input_h=16, input_w=16, channels=32, kernel_size=[2, 2], stride=[2, 2], padding=[0, 0],
                 **({"dilation": [1, 1]} if family == "max_pool2d" else {}))
        torch_fn = torch.nn.functional.max_pool2d if family == "max_pool2d" else torch.nn.functional.avg_pool2d
        ref = torch_fn(x.permute(0, 3, 1, 2).float(), 2).permute(0, 2, 3, 1)
        return f"ttnn.{family}", out, ref
    if family == "softmax":
        return "ttnn.softmax", ttnn.softmax(tile(a, d), dim=-1), torch.softmax(a.float(), -1)
    if family == "layer_norm":
        return "ttnn.layer_norm", ttnn.layer_norm(tile(a, d)), torch.nn.functional.layer_norm(a.float(), (64,))
    if family == "rms_norm":
        w = torch.ones((1, 64), dtype=torch.bfloat16)
        ref = a.float() / torch.sqrt(a.float().pow(2).mean(-1, keepdim=True) + 1e-5)
        return "ttnn.rms_norm", ttnn.rms_norm(tile(a, d), weight=tile(w, d)), ref
    if family == "gelu":
        return "ttnn.gelu", ttnn.gelu(tile(a, d)), torch.nn.functional.gelu(a.float())
    if family == "embedding":
        ids = torch.randint(0, 128, (1, 32), dtype=torch.int32)
        table = torch.randn((128, 64), dtype=torch.bfloat16)
        out = ttnn.embedding(rows(ids, d, ttnn.uint32), rows(table, d))
        return "ttnn.embedding", out, torch.nn.functional.embedding(ids.long(), table.float())
    if family == "concat":
        return "ttnn.concat", ttnn.concat([tile(a, d), tile(b, d)], dim=-1), torch.cat([a, b], -1).float()
    if family == "reshape":
        return "ttnn.reshape", ttnn.reshape(tile(a, d), (32, 128)), a.reshape(32, 128).float()
    if family == "permute":
        return "ttnn.permute", ttnn.permute(tile(a, d), (1, 0)), a.permute(1, 0).float()
    if family == "slice":
        return "ttnn.slice", ttnn.slice(tile(a, d), [0, 0], [32, 32]), a[:32, :32].float()
    if family == "typecast":
        return "ttnn.typecast(bfloat8_b)", ttnn.typecast(tile(a, d), ttnn.bfloat8_b), a.float()
    raise SystemExit(f"unknown op family {family}")


def pcc(x, y):
    x, y = x.flatten().float(), y.flatten().float()
    return float(torch.corrcoef(torch.stack([x, y]))[0, 1])


if not hasattr(ttnn, FAMILY):
    print(f"OPSKIP this ttnn has no ttnn.{FAMILY}", flush=True)
    sys.exit(3)
device = ttnn.open_device(device_id=0, l1_small_size=16384)  # conv2d and pooling need L1_SMALL
try:
    name, out, ref = op(FAMILY, device)
    on_device = ttnn.is_tensor_storage_on_device(out)
    where = "device" if on_device else "host"
    # Read while the device is open: the placement the probe reports comes from the op's own output.
    placed_on = describe_device(out.device()) if on_device else f"host ({out.storage_type()})"
    host = ttnn.to_torch(out)
finally:
    ttnn.close_device(device)
result = {"op": name, "storage": where, "device": placed_on}
if MOCK:
    result["status"] = "compiled"
else:
    value = pcc(host.reshape(ref.shape), ref)
    result.update(status="pass" if value >= 0.99 and where == "device" else "fail", pcc=value)
print("OPRESULT " + json.dumps(result), flush=True)
