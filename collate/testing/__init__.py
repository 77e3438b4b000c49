"""Testing aids for collate and for those who measure it (like ``numpy.testing``).

`collate.testing.synth` makes noisy copies of a text with every planted error
recorded, and scores an alignment against that answer key.  Nothing in the
pipeline imports this package.
"""
