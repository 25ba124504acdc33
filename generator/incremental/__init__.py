"""The speed machinery: caches and their keys, forked workers, templates prepared ahead, the whole-build
shortcut, stage timings.
"""
