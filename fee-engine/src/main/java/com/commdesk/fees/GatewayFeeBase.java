package com.commdesk.fees;

/** What the payment gateway's percentage applies to. */
public enum GatewayFeeBase { AFTER_GST, GROSS }
