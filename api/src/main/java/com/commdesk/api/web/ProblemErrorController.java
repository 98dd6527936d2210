package com.commdesk.api.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Errors raised outside the controllers (the container, the request firewall) are problem+json too,
 * with the status and nothing else: no exception, message, trace or path beyond the caller's own.
 */
@Controller
public class ProblemErrorController implements ErrorController {
    private final ProblemResponses problems;

    public ProblemErrorController(ProblemResponses problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = HttpStatus.resolve(code instanceof Integer i ? i : 500);
        if (status == null || !status.isError()) status = HttpStatus.INTERNAL_SERVER_ERROR;
        problems.write(response, status, status.getReasonPhrase(), status.is4xxClientError()
                ? "the request was refused: " + status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT)
                : "an unexpected error occurred; it has been logged");
    }

    /** A URL the firewall refuses (encoded slashes, odd characters): 400 problem+json. */
    @org.springframework.context.annotation.Bean
    static RequestRejectedHandler requestRejectedHandler(ProblemResponses problems) {
        return (request, response, e) -> problems.write(response, HttpStatus.BAD_REQUEST, "Bad Request", "the request URL is not acceptable");
    }
}
