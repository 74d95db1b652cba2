"""Synchronisation with 1C:Enterprise over CommerceML 2.0x / 3.1.

``records`` holds the plain, picklable records the streaming ``reader`` turns XML into; loaders,
the pipeline and the HTTP exchange build on them. Nothing in this package imports views, and the
reader needs no database and no Django settings, so it can run in worker processes.
"""
