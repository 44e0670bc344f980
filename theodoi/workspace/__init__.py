"""The whole data folder: its one load (registers, visits, journals and the
problems found), the check behind ``theodoi validate``, a new workspace
(``theodoi init``) and the demo folder.
"""
