"""The Review page's tabs and forms, one module each, under a short `pages/review.py`.

What the modules share, clearing the path and the one-shot outcome of a callback, lives in
`state`. The page only lays these out; every figure comes from `analytics` through
`ui.cache`.
"""
