"""What the authors wrote, read and checked into the model: Markdown files with front matter, the data files, and
the rules they must follow.
"""
