package com.commdesk.fees;

/**
 * Who pays a fee (docs/fees.md, "Who bears each fee"). The default for every fee is COMMUNITY.
 *
 * <ul>
 *   <li>{@link #COMMUNITY}: deducted from what the customer paid before the community's net (the
 *       original behaviour).</li>
 *   <li>{@link #PLATFORM}: CommDesk pays it from its own income. For the gateway fee (a promotion
 *       absorbs it) the gateway still keeps its charge, CommDesk books it as its own expense and the
 *       community's net is not reduced. For the platform fee it means the fee is waived: nothing is
 *       charged and, with no consideration, no GST arises.</li>
 *   <li>{@link #CUSTOMER}: a convenience fee on top of the ticket price: the order amount is the
 *       ticket price plus the customer-borne charges (each with its own GST), and the community's net
 *       is computed on the ticket price alone.</li>
 * </ul>
 */
public enum FeeBearer { COMMUNITY, PLATFORM, CUSTOMER }
