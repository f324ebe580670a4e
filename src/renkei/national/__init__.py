"""The country as a whole: its list of spheres with their lifecycle and membership (``country``) and a
national set of files with its manifest (``manifest``).
"""
