package com.commdesk.api.web.pages;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The API's documents for a logged-in browser: {@code GET /dashboard/api/**} is the same GET of
 * {@code /api/**} with the viewer's access token (their session has no bearer token of its own), passed
 * through as the API answered it — a statement's PDF or CSV, a report, the rows behind a figure, or the
 * API's refusal. Reads only, and only the API's own routes on this process: nothing a person could not
 * fetch with their own token.
 */
@Controller
public class ApiPassThrough extends DashboardPage {
    static final String PREFIX = "/dashboard/api/";
    private static final List<MediaType> PASSED = List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON,
            MediaType.parseMediaType("text/csv"), MediaType.APPLICATION_PDF);

    public ApiPassThrough(DashboardApi api, ViewerCredentials credentials) {
        super(api, credentials);
    }

    @GetMapping(PREFIX + "**")
    public ResponseEntity<byte[]> get(HttpServletRequest request) {
        String path = request.getRequestURI().substring("/dashboard".length());
        if (path.contains("..") || path.contains("//")) return ResponseEntity.badRequest().build();
        String query = request.getQueryString();
        ResponseEntity<byte[]> r = api.passThrough(path + (query == null ? "" : "?" + query));
        MediaType type = r.getHeaders().getContentType();
        if (type == null || PASSED.stream().noneMatch(t -> t.includes(type))) {
            return ResponseEntity.status(r.getStatusCode()).build();
        }
        ResponseEntity.BodyBuilder out = ResponseEntity.status(r.getStatusCode()).contentType(type);
        String disposition = r.getHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION);
        if (disposition != null) out.header(HttpHeaders.CONTENT_DISPOSITION, disposition);
        return out.body(r.getBody());
    }
}
