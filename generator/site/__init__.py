"""The site's structure: every item's URL and the listings (news, campaigns, offices, tags, related news), search
and the reviewers' page.
"""
