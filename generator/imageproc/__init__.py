"""Photos as readers need them: every raster image of the content published in the widths and
formats the layout needs, turned upright, in sRGB, with nothing of the camera's metadata.

The stage runs once per build, before the Markdown: probe.py reads and checks each file by its
content, plan.py decides its widths and formats from the layout's places, encode.py makes the
files, store.py keeps them by the image's bytes and the settings and spreads the work over the
cores, report.py names the article lines that use a faulty image. Templates and the Markdown
renderer only read the resulting `ImageSet`s.
"""
