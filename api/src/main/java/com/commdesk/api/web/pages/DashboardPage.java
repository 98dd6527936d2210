package com.commdesk.api.web.pages;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.regex.Pattern;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page controller shares: the viewer in the model (for the navigation and four eyes), the
 * API's refusals shown with its own status and problem detail, and an expired login sent back to the
 * issuer. (A base class rather than a controller advice, so no other controller's test slice needs it.)
 */
abstract class DashboardPage {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    protected final DashboardApi api;
    protected final ViewerCredentials credentials;

    DashboardPage(DashboardApi api, ViewerCredentials credentials) {
        this.api = api;
        this.credentials = credentials;
    }

    @ModelAttribute("viewer")
    Viewer viewer() {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof OAuth2AuthenticationToken)) return null;
        return Viewer.of(credentials.viewer());
    }

    /** The API refused or failed: the page says so with the API's own status and problem detail. */
    @ExceptionHandler(DashboardApi.Refused.class)
    String refused(DashboardApi.Refused e, Model model, HttpServletResponse response) {
        response.setStatus(e.status());
        // an exception handler's model starts empty: the navigation still says who is logged in
        model.addAttribute("viewer", viewer());
        model.addAttribute("status", e.status());
        model.addAttribute("detail", e.detail());
        return "dashboard/error";
    }

    /**
     * The session's access token expired (and could not be renewed): start a new session; the next page
     * view logs in again at the issuer (silently while the issuer's own session lasts) and comes back.
     */
    @ExceptionHandler(ViewerCredentials.LoginAgain.class)
    String loginAgain(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) session.invalidate();
        SecurityContextHolder.clearContext();
        return "redirect:" + ("GET".equals(request.getMethod()) ? request.getRequestURI() : "/dashboard");
    }

    static String id(String value) {
        if (value == null || !ID.matcher(value).matches()) throw new DashboardApi.Refused(400, "not a valid id");
        return value;
    }
}
