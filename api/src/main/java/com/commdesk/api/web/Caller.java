package com.commdesk.api.web;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling, from the verified access token only: the token's subject, its roles and, for a
 * community owner, the communities it owns. Requester, approver and auditor are always
 * {@link #subject()}; no header a caller writes can change it.
 *
 * <p>Tenancy: roles that act for the whole platform (admin, finance, ops, the payment service) may
 * touch any community; a community owner only those listed in its token; a member only itself.
 * A refusal is a 403 that names neither the community nor the member asked for.
 */
public record Caller(String subject, Set<Role> roles, Set<String> communities) {
    /** Claim carrying the roles, and the one carrying a community owner's communities. */
    public static final String ROLES_CLAIM = "roles";
    public static final String COMMUNITIES_CLAIM = "communities";

    private static final Set<Role> PLATFORM_WIDE = EnumSet.of(Role.PLATFORM_ADMIN, Role.FINANCE_APPROVER, Role.FINANCE_VIEWER,
            Role.OPS, Role.PAYMENT_SERVICE);

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        communities = Set.copyOf(communities);
    }

    /** The caller of the current request; the security filter chain has authenticated it already. */
    public static Caller current() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (!(a instanceof JwtAuthenticationToken token)) throw new AccessDeniedException("not authenticated with a bearer token");
        return of(token.getToken());
    }

    public static Caller of(Jwt jwt) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : strings(jwt.getClaim(ROLES_CLAIM))) {
            try {
                roles.add(Role.valueOf(r));
            } catch (IllegalArgumentException unknown) {
                // A role this platform does not define grants nothing.
            }
        }
        return new Caller(jwt.getSubject(), roles, Set.copyOf(strings(jwt.getClaim(COMMUNITIES_CLAIM))));
    }

    static List<String> strings(Object claim) {
        if (claim instanceof Collection<?> c) return c.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        if (claim instanceof String s && !s.isBlank()) return List.of(s.split("[ ,]+"));
        return List.of();
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** True if this caller may see or change what belongs to {@code communityId}. */
    public boolean mayAccessCommunity(String communityId) {
        if (roles.stream().anyMatch(PLATFORM_WIDE::contains)) return true;
        return has(Role.COMMUNITY_OWNER) && communityId != null && communities.contains(communityId);
    }

    /** Null if this caller may see everything; else the communities it is limited to (possibly none). */
    public Set<String> communityScope() {
        if (roles.stream().anyMatch(PLATFORM_WIDE::contains)) return null;
        return has(Role.COMMUNITY_OWNER) ? communities : Set.of();
    }

    public void requireCommunity(String communityId) {
        if (!mayAccessCommunity(communityId)) throw new AccessDeniedException("this belongs to a community you do not own");
    }

    /** A member's own things: the member itself, an owner of its community, or a platform-wide role. */
    public void requireMemberOrCommunity(String communityId, String userId) {
        if (has(Role.MEMBER) && userId != null && subject.equals(userId)) return;
        if (!mayAccessCommunity(communityId)) throw new AccessDeniedException("this belongs to another member or community");
    }

    /** Four eyes: two subjects are the same person regardless of letter case ("alice" is "Alice"). */
    public boolean isSamePerson(String otherSubject) {
        return otherSubject != null && subject.toLowerCase(Locale.ROOT).equals(otherSubject.toLowerCase(Locale.ROOT));
    }

    /** The role recorded in the audit log: the most privileged one the token carries. */
    public String primaryRole() {
        return roles.isEmpty() ? "NONE" : EnumSet.copyOf(roles).iterator().next().name();
    }
}
