package com.commdesk.ledger;
