/** Pure fee, GST and split arithmetic in long paise and integer basis points. See docs/fees.md. */
package com.commdesk.fees;
