"""tt-metal's ResNet-50 demo on its bundled sample images (test_demo_sample), wherever this checkout has it.

Never test_demo_imagenet or test_demo_trace_with_imagenet: they pull ImageNet. --size tiny runs the
smallest batch the demo lists, --size full the largest.
"""

from ttprobe_probe.metal import Demo
from ttprobe_probe.metal_demo import demo_probe

demo_probe("resnet-tt-metal", "ResNet-50", [
    # 8 chips and more (T3K, Galaxy): the Wormhole demo skips itself there and points to this one.
    Demo("models/demos/ttnn_resnet/tests/test_demo.py", "test_demo_sample", min_chips=8),
    # Current layout: the vision/classification move.
    Demo("models/demos/vision/classification/resnet50/wormhole/demo/demo.py", "test_demo_sample", "wormhole"),
    Demo("models/demos/vision/classification/resnet50/blackhole/demo/demo.py", "test_demo_sample", "blackhole"),
    # Before it.
    Demo("models/demos/wormhole/resnet50/demo/demo.py", "test_demo_sample", "wormhole"),
    Demo("models/demos/blackhole/resnet50/demo/demo.py", "test_demo_sample", "blackhole"),
    Demo("models/demos/ttnn_resnet/demo/demo.py", "test_demo_sample"),
])
