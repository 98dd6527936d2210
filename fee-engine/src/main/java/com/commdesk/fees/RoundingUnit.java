package com.commdesk.fees;

/** The unit a deduction is rounded to; RUPEE means a multiple of 100 paise. */
public enum RoundingUnit { PAISE, RUPEE }
