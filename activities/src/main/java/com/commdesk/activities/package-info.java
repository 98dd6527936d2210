package com.commdesk.activities;
