package com.commdesk.fees;

/** How GST is derived from the amount paid. See docs/fees.md. */
public enum GstMethod { ON_GROSS, INCLUSIVE, EXEMPT }
