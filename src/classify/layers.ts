import type { Layer } from '../schemas/outcome.js';

/**
 * Where a throw site or a backtrace frame lives says which layer failed, as tt-xla's own failure
 * checks read it. Order matters: tt-metal is vendored inside tt-mlir's install tree, so its paths
 * are recognised before tt-mlir's.
 */
const PATH_LAYERS: Array<[RegExp, Layer]> = [
  [/(?:^|[/\\])(?:umd|tt_umd|tt-umd)[/\\]|libdevice\.so|libumd|tt::umd::|\bumd::|pci_device\.cpp|tt_device\.cpp/, 'umd-kmd'],
  [/tt_metal[/\\]|tt-metal[/\\]src|ttnn[/\\]|libtt_metal\.so|_ttnncpp\.so|_ttnn(?:\.cpython[^/\s]*)?\.so|\btt::tt_metal::|\bttnn::|\btt::tt_fabric::|libtt_stl|tt_cluster\.cpp/, 'tt-metal'],
  [/tt-mlir[/\\](?:runtime|lib|include|tools)|runtime[/\\]lib[/\\]ttnn|libTTMLIR\w*\.so|ttmlir-\w+|\btt::runtime::|\bmlir::|\bllvm::|StableHLOToTTIR|TTIRToTTNN|ttmlir[/\\]/, 'tt-mlir'],
  [/pjrt_plugin_tt|pjrt_implementation|tt-xla[/\\]|jax_plugins[/\\]pjrt_plugin_tt|\btt::pjrt::|tt_torch_device|torch_plugin_tt/, 'tt-xla'],
  [/forge[/\\]csrc|forge[/\\]forge[/\\]|site-packages[/\\]forge[/\\]|libTTForge|\btt::forge::|\bforge::/, 'tt-forge'],
  [/tt_torch[/\\]|tt-torch[/\\]/, 'tt-torch'],
  [/jax[/\\]_src[/\\]|jaxlib[/\\]|xla_bridge\.py|xla_extension/, 'jax'],
];

export function layerOfPath(text: string): Layer | null {
  for (const [re, layer] of PATH_LAYERS) if (re.test(text)) return layer;
  return null;
}
