"""National schedules for Viet Nam: the priors toward which small-number registry rates are shrunk.

Source: UN DESA Population Division, World Population Prospects 2019 (CC BY 3.0 IGO), Viet Nam (704),
2020–2025: central death rates ``mxM``/``mxF`` by age 0, 1, 5, …, 100+, and age-specific fertility
(TFR 2.0189 × the WPP percentage schedule). Sex ratio at birth 111.5 from the 2019 census (GSO).
See /docs/forecast.md, "Inputs from the register".
"""
from __future__ import annotations

import numpy as np

MX_AGES = np.array([0, 1] + list(range(5, 105, 5)))
MX = np.array([
    [0.017588, 0.001259, 0.000496, 0.000435, 0.000954, 0.001547, 0.001951, 0.002296, 0.002735, 0.003880,
     0.005446, 0.008846, 0.012993, 0.017493, 0.027506, 0.039992, 0.057913, 0.083277, 0.118376, 0.165496,
     0.226213, 0.316198],
    [0.013330, 0.000705, 0.000478, 0.000445, 0.000459, 0.000539, 0.000638, 0.000747, 0.001048, 0.001475,
     0.002076, 0.003197, 0.005293, 0.007851, 0.014047, 0.022729, 0.036556, 0.058273, 0.091532, 0.140586,
     0.209055, 0.314383],
])
ASFR_5Y_15_49 = np.array([0.0220, 0.0901, 0.1331, 0.1026, 0.0442, 0.0107, 0.0011])
SRB = 1.115  # boys per girl
SOURCE = "UN WPP 2019, Việt Nam 2020–2025 (tỷ suất chết, ASFR); SRB 111,5 (Tổng điều tra 2019)"
