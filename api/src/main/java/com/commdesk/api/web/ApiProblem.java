package com.commdesk.api.web;

import org.springframework.http.HttpStatus;

/** A request the API refuses, with what a client needs to fix it: status, a clear detail, and the field at fault. */
public class ApiProblem extends RuntimeException {
    private final HttpStatus status;
    private final String title;
    private final String field;

    public ApiProblem(HttpStatus status, String title, String detail, String field) {
        super(detail);
        this.status = status;
        this.title = title;
        this.field = field;
    }

    public static ApiProblem invalid(String field, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid request", detail, field);
    }

    public static ApiProblem unprocessable(String field, String detail) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable request", detail, field);
    }

    public HttpStatus status() { return status; }

    public String title() { return title; }

    public String field() { return field; }
}
