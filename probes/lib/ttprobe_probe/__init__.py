"""Helpers shared by ttprobe's probe scripts.

Probes stay plain scripts: they import this package for the result protocol and nothing else of
the harness. Protocol version 1 is documented in probes/PROTOCOL.md.
"""

from .run import ProbeRun, NumericalMismatch, PROTOCOL_VERSION, STAGES

__all__ = ["ProbeRun", "NumericalMismatch", "PROTOCOL_VERSION", "STAGES"]
