/**
 * Op names as a compiler team files them: StableHLO's, since that is what a JAX user's program
 * holds. TT-MLIR reports many failures on the TTIR (or TTNN) op lowered from it; where that op
 * comes from a StableHLO op, the StableHLO name is given.
 */
const STABLEHLO_OPS = new Set(
  (
    'abs add after_all all_gather all_reduce all_to_all and atan2 batch_norm_grad batch_norm_inference ' +
    'batch_norm_training bitcast_convert broadcast broadcast_in_dim case cbrt ceil cholesky clamp ' +
    'collective_broadcast collective_permute compare complex composite concatenate constant convert ' +
    'convolution cosine count_leading_zeros create_token custom_call divide dot dot_general ' +
    'dynamic_broadcast_in_dim dynamic_conv dynamic_gather dynamic_iota dynamic_pad dynamic_reshape ' +
    'dynamic_slice dynamic_update_slice einsum exponential exponential_minus_one fft floor gather ' +
    'get_dimension_size get_tuple_element if imag infeed iota is_finite log log_plus_one logistic map ' +
    'maximum minimum multiply negate not optimization_barrier or outfeed pad partition_id popcnt power ' +
    'real real_dynamic_slice recv reduce reduce_precision reduce_scatter reduce_window remainder ' +
    'replica_id reshape reverse rng rng_bit_generator round_nearest_afz round_nearest_even rsqrt ' +
    'scatter select select_and_scatter send shift_left shift_right_arithmetic shift_right_logical sign ' +
    'sine slice sort sqrt subtract tan tanh transpose triangular_solve tuple uniform_dequantize ' +
    'uniform_quantize while xor'
  ).split(' '),
);

/** TTIR / TTNN names that differ from the StableHLO op they are lowered from. */
const FROM_STABLEHLO: Record<string, string> = {
  max_pool2d: 'reduce_window',
  avg_pool2d: 'reduce_window',
  pooling: 'reduce_window',
  cumsum: 'reduce_window',
  conv2d: 'convolution',
  conv_transpose2d: 'convolution',
  matmul: 'dot_general',
  arange: 'iota',
  typecast: 'convert',
  permute: 'transpose',
  concat: 'concatenate',
  where: 'select',
  exp: 'exponential',
  cos: 'cosine',
  sin: 'sine',
  sigmoid: 'logistic',
  div: 'divide',
  mul: 'multiply',
  sub: 'subtract',
  neg: 'negate',
  pow: 'power',
  embedding: 'gather',
  sum: 'reduce',
  mean: 'reduce',
  prod: 'reduce',
  reduce_and: 'reduce',
  reduce_or: 'reduce',
  max: 'reduce',
  min: 'reduce',
  argmax: 'reduce',
  repeat: 'broadcast_in_dim',
  mesh_shard: 'custom_call',
  eq: 'compare',
  ne: 'compare',
  gt: 'compare',
  ge: 'compare',
  lt: 'compare',
  le: 'compare',
  logical_and: 'and',
  logical_or: 'or',
  logical_not: 'not',
  logical_xor: 'xor',
  bitwise_and: 'and',
  bitwise_or: 'or',
  bitwise_not: 'not',
  bitwise_xor: 'xor',
  expm1: 'exponential_minus_one',
  log1p: 'log_plus_one',
  isfinite: 'is_finite',
  zeros: 'constant',
  ones: 'constant',
  full: 'constant',
  index: 'slice',
  index_select: 'gather',
  rand: 'rng',
  collective_permute: 'collective_permute',
};

export function stablehloNameOf(op: string): string {
  const m = /^(?:(stablehlo|mhlo|chlo|ttir|ttnn|tt)\.)?([a-z_0-9]+)$/.exec(op.trim());
  if (!m) return op.trim();
  const [, dialect, name] = m;
  if (dialect === 'stablehlo' || dialect === 'chlo') return op.trim();
  if (dialect === 'mhlo') return STABLEHLO_OPS.has(name!) ? `stablehlo.${name}` : op.trim();
  const mapped = FROM_STABLEHLO[name!] ?? (STABLEHLO_OPS.has(name!) ? name! : null);
  return mapped ? `stablehlo.${mapped}` : op.trim();
}

/** The `op` detail as reported, with the name the log gave kept when it differs. */
export function opDetails(asLogged: string): { op: string; opAsLogged?: string } {
  const op = stablehloNameOf(asLogged);
  return op === asLogged ? { op } : { op, opAsLogged: asLogged };
}
