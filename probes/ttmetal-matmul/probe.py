"""ttnn matmul on a Tenstorrent device, checked against torch with the Pearson correlation (PCC)."""

from ttprobe_probe import NumericalMismatch, ProbeRun
from ttprobe_probe.metal import describe_device, require_tt_target

SIZES = {"tiny": 256, "full": 4096}
PCC_THRESHOLD = 0.99

with ProbeRun("ttmetal-matmul") as run:
    run.require("ttnn", "torch")
    require_tt_target(run)
    import torch
    import ttnn

    run.versions_of("ttnn", "torch")
    run.stage("setup")
    n = SIZES[run.size]
    torch.manual_seed(0)
    a = torch.randn((n, n), dtype=torch.bfloat16)
    b = torch.randn((n, n), dtype=torch.bfloat16)
    device = ttnn.open_device(device_id=0)
    try:
        ta = ttnn.from_torch(a, layout=ttnn.TILE_LAYOUT, device=device)
        tb = ttnn.from_torch(b, layout=ttnn.TILE_LAYOUT, device=device)
        with run.timer("compile"):
            ttnn.matmul(ta, tb)
            ttnn.synchronize_device(device)
        with run.timer("execute"):
            tc = ttnn.matmul(ta, tb)
            ttnn.synchronize_device(device)
        # Where the product lived, read from the tensor (a silent host fallback must not pass).
        if ttnn.is_tensor_storage_on_device(tc):
            run.placement("tt", describe_device(tc.device()))
            run.devices_seen([describe_device(tc.device())])
        else:
            run.placement("cpu", f"host ({tc.storage_type()})")
        out = ttnn.to_torch(tc).float()
    finally:
        ttnn.close_device(device)
    run.stage("compare")
    expected = (a.float() @ b.float())
    pcc = float(torch.corrcoef(torch.stack([out.flatten(), expected.flatten()]))[0, 1])
    run.metric("pcc", pcc)
    if pcc < PCC_THRESHOLD:
        raise NumericalMismatch(f"PCC comparison failed. Calculated: pcc={pcc:.5f} (expected >= {PCC_THRESHOLD})")
    run.metric("tflops", 2 * n**3 / run.elapsed("execute") / 1e12)
    run.passed(f"{n}x{n} bf16 matmul on device, pcc={pcc:.4f}")
