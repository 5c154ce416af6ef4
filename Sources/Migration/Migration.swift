// Flow migration, pre-copy, router migration (issues #5, #6).
