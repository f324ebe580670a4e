"""What every room of renkei shares: the message catalogues (``messages``), the error kinds declared once
and their JSON body (``errorkinds``, ``errorbody``), answers kept in memory (``cache``), plugins
(``plugins``), roles and actions (``permissions``), worker processes that die with their parent
(``lifeline``), the Japanese fonts found on this machine (``fonts``) and the bundled sample (``sample``).
"""
