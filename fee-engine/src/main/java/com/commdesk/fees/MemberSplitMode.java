package com.commdesk.fees;

/** How a role's amount is divided among its members. */
public enum MemberSplitMode { EQUAL, WEIGHTED, FIXED }
