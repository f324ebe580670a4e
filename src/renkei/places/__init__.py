"""Japan's municipalities as renkei knows them: the national list with codes, check digits and name
resolution (``municipalities``) and the 異体字 folded when names are matched (``variants``). Pure data
and functions; imports nothing else of renkei.
"""
