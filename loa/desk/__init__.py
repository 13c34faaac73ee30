"""The officer's desk: commands around the content, not the site (README, "The officer's desk").

`new` starts a campaign, a material or a translation; `translations` says which translations are
behind their original and marks them up to date; `report` counts what the campaigns produced.
"""
