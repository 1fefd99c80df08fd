"""The desk: the dashboard of the newsroom's state (`dashboard`) and the desk views above
the article list (`views`: My drafts, Waiting for review, Returned to me, ...), each with a
count kept fresh off the GUI thread.
"""
