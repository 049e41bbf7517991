"""tt-metal's ResNet-50 demo, whichever of its known locations this checkout has."""

from ttprobe_probe.metal import demo_probe

demo_probe("resnet-tt-metal", "ResNet-50", [
    "models/demos/wormhole/resnet50/demo/demo.py",
    "models/demos/ttnn_resnet/demo/demo.py",
    "models/demos/resnet50/demo/demo.py",
])
