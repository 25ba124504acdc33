"""Writing the site: one atomic file writer, the staging folder and its swap into output/, the lock,
fingerprinted assets.
"""
