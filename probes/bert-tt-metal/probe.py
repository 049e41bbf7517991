"""tt-metal's BERT question-answering demo on its bundled input_data.json (test_demo), wherever this checkout has it.

Never test_demo_squadv2: it pulls SQuAD v2 and the `evaluate` metric. --size tiny runs the smallest
batch the demo lists, --size full the largest.
"""

from ttprobe_probe.metal import Demo
from ttprobe_probe.metal_demo import demo_probe

demo_probe("bert-tt-metal", "BERT", [
    Demo("models/demos/wormhole/bert_tiny/demo/demo.py", "test_demo", "wormhole"),
    Demo("models/demos/bert_tiny/demo/demo.py", "test_demo"),
    Demo("models/demos/metal_BERT_large_11/demo/demo.py", "test_demo"),
    Demo("models/demos/bert/demo/demo.py", "test_demo"),
])
