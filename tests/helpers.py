"""What tests that build model nodes by hand share.

Every model node needs the span of its source.  A test that parses text gets
real spans; a node a test makes up (a hypothesis strategy's spec, an expected
value compared with `==`, which ignores spans) is given `SPAN`, a place in no
real file, so that nothing reading it is mistaken for a parsed node.
"""

from __future__ import annotations

from protocol_dsl import model as m

#: The span of a node a test builds by hand.
SPAN = m.Span("<hand-built>", 1, 1, 1, 1, 0, 0)
