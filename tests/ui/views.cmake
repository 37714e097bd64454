# (filled as this part lands)
