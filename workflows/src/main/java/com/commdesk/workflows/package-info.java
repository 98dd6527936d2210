package com.commdesk.workflows;
