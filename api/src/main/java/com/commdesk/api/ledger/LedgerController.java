package com.commdesk.api.ledger;

import com.commdesk.ledger.LedgerQueries;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/ledger")
public class LedgerController {
    private final LedgerQueries ledger;

    public LedgerController(LedgerQueries ledger) {
        this.ledger = ledger;
    }

    /** Totals per account; {@code balanced} is true iff total debits equal total credits. */
    @GetMapping(path = "/trial-balance", produces = MediaType.APPLICATION_JSON_VALUE)
    public LedgerQueries.TrialBalance trialBalance() {
        return ledger.trialBalance();
    }
}
