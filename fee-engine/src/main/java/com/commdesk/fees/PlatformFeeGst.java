package com.commdesk.fees;

/** Whether the platform fee's GST is carved out of the fee (INCLUDED) or charged on top of it and deducted from the community too (ON_TOP). */
public enum PlatformFeeGst { INCLUDED, ON_TOP }
