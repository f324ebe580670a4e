"""The synthetic national registry for benchmarks and tests (``renkei synth``): deterministic from a seed
(``synth``), with the fields and words its projects are made of (``synth_words``) and their budgets and
KPIs (``synth_budgets``). The store never imports it.
"""
