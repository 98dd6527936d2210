/**
 * The pure part of the commission rule engine (seed 002): conditions over payment attributes,
 * versioned, prioritised, time-bound rules, an indexed {@link com.commdesk.fees.rules.RuleSet} that
 * selects the rule for a payment, and {@link com.commdesk.fees.rules.QuoteEngine} that turns a payment
 * into a fee breakdown and role shares. See docs/fees.md.
 */
package com.commdesk.fees.rules;
