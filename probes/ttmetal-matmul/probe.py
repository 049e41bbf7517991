"""ttnn matmul on a Tenstorrent device, checked against torch with the Pearson correlation (PCC).

On a mock system (TT_METAL_MOCK_CLUSTER_DESC_PATH, as `ttprobe run --mock` sets it) ttnn opens the mock's
mesh and builds every kernel with the real toolchain, but the device is mocked: what comes back is not
computed (zeros). Then the verdict is `compiled`, with the placement read from the real tensors, and the
PCC is never taken.
"""

import os

from ttprobe_probe import NumericalMismatch, ProbeRun
from ttprobe_probe.metal import describe_device, require_tt_target
from ttprobe_probe.metal_toolchain import record_toolchain

SIZES = {"tiny": 256, "full": 4096}
PCC_THRESHOLD = 0.99

with ProbeRun("ttmetal-matmul") as run:
    run.require("ttnn", "torch")
    require_tt_target(run)
    import torch
    import ttnn

    run.versions_of("ttnn", "torch")
    mock = os.environ.get("TTPROBE_MOCK") or os.environ.get("TT_METAL_MOCK_CLUSTER_DESC_PATH")
    if mock:
        run.detail("mock", {"system": os.environ.get("TTPROBE_MOCK"),
                            "descriptor": os.environ.get("TT_METAL_MOCK_CLUSTER_DESC_PATH")})
    record_toolchain(run)
    run.stage("setup")
    n = SIZES[run.size]
    torch.manual_seed(0)
    a = torch.randn((n, n), dtype=torch.bfloat16)
    b = torch.randn((n, n), dtype=torch.bfloat16)
    device = ttnn.open_device(device_id=0)
    try:
        ta = ttnn.from_torch(a, layout=ttnn.TILE_LAYOUT, device=device)
        tb = ttnn.from_torch(b, layout=ttnn.TILE_LAYOUT, device=device)
        # The first matmul JIT-builds its kernels (the compile stage); the second runs them cached.
        with run.timer("compile"):
            tc = ttnn.matmul(ta, tb)
            ttnn.synchronize_device(device)
        if not mock:  # on a mock the cached kernels would "run" again and compute nothing
            with run.timer("execute"):
                tc = ttnn.matmul(ta, tb)
                ttnn.synchronize_device(device)
        # Where the product lived, read from the tensor (a silent host fallback must not pass).
        on_device = ttnn.is_tensor_storage_on_device(tc)
        where = describe_device(tc.device()) if on_device else f"host ({tc.storage_type()})"
        if on_device:
            run.placement("tt", where)
            run.devices_seen([where])
        else:
            run.placement("cpu", where)
        run.detail("storage", str(tc.storage_type()))
        if mock:
            run.detail("arch", str(device.arch()))
            # The mock's zeros are read back only to show the read-back path works; never compared.
            ttnn.to_torch(tc)
        else:
            out = ttnn.to_torch(tc).float()
    finally:
        ttnn.close_device(device)
    if mock:
        # Mocked execution returns what no chip computed: a PCC here would judge the mock, not ttnn.
        run.compiled(f"{n}x{n} bf16 matmul kernels built for {where}; execution is mocked, nothing computed")
    run.stage("compare")
    expected = (a.float() @ b.float())
    pcc = float(torch.corrcoef(torch.stack([out.flatten(), expected.flatten()]))[0, 1])
    run.metric("pcc", pcc)
    if pcc < PCC_THRESHOLD:
        raise NumericalMismatch(f"PCC comparison failed. Calculated: pcc={pcc:.5f} (expected >= {PCC_THRESHOLD})")
    run.metric("tflops", 2 * n**3 / run.elapsed("execute") / 1e12)
    run.passed(f"{n}x{n} bf16 matmul on device, pcc={pcc:.4f}")
