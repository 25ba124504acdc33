"""Static-site generator for the Department of Industry and Trade of Bình Thuận.

The pipeline runs one way: load → model → route → render → write (→ check).
"""

__version__ = "0.1.0"
