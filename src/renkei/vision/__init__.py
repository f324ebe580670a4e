"""A vision and what is pure about it: the model (``model``), a project's fields declared once (``record``),
the rules for typed text and draft fields (``textrules``, ``editrules``), the checks of declared figures
(``checks``), amendments (``diff``), the JSON vocabulary (``serialize``), the one table view every output
presents (``table``) with its budget and KPI columns (``figurecolumns``), KPI grades (``grades``), budgets
summed and KPIs graded per field (``budgetfigures``), their amendments (``budgetdiff``) and tidy rows
(``budgetrows``), a structured field's records as JSON (``plainrecords``), the national guidelines'
wording (``guidelines``) and renkei's own format shared by readers and renderers (``ownformat``). No I/O
framework, no store, no web.
"""
