"""tt-metal's BERT demo, whichever of its known locations this checkout has."""

from ttprobe_probe.metal import demo_probe

demo_probe("bert-tt-metal", "BERT", [
    "models/demos/wormhole/bert_tiny/demo/demo.py",
    "models/demos/bert_tiny/demo/demo.py",
    "models/demos/metal_BERT_large_11/demo/demo.py",
    "models/demos/bert/demo/demo.py",
])
