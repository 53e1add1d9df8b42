package io.dtxlab.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns a valid token header into a role. A token header that is present but wrong is refused at once
 * (401), whatever the path: a caller with a stale or mistyped token should learn it immediately.
 */
class TokenAuthenticationFilter extends OncePerRequestFilter {

    private final byte[] clusterToken;
    private final byte[] adminToken;
    private final AuthenticationEntryPoint entryPoint;

    TokenAuthenticationFilter(String clusterToken, String adminToken, AuthenticationEntryPoint entryPoint) {
        this.clusterToken = clusterToken.getBytes(StandardCharsets.UTF_8);
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String cluster = request.getHeader(TokenHeaders.CLUSTER_TOKEN);
        String admin = request.getHeader(TokenHeaders.ADMIN_TOKEN);
        if (cluster != null && !matches(cluster, clusterToken)) {
            reject(request, response, TokenHeaders.CLUSTER_TOKEN);
            return;
        }
        if (admin != null && !matches(admin, adminToken)) {
            reject(request, response, TokenHeaders.ADMIN_TOKEN);
            return;
        }
        if (admin != null || cluster != null) {
            String principal = admin != null ? "admin" : "cluster";
            var roles = new java.util.ArrayList<SimpleGrantedAuthority>();
            if (admin != null) {
                roles.add(new SimpleGrantedAuthority("ROLE_" + TokenHeaders.ROLE_ADMIN));
            }
            if (cluster != null) {
                roles.add(new SimpleGrantedAuthority("ROLE_" + TokenHeaders.ROLE_CLUSTER));
            }
            SecurityContextHolder.getContext()
                    .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null, List.copyOf(roles)));
        }
        chain.doFilter(request, response);
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String header)
            throws IOException, ServletException {
        SecurityContextHolder.clearContext();
        entryPoint.commence(request, response, new BadCredentialsException("the " + header + " header does not hold the right token"));
    }

    private static boolean matches(String presented, byte[] expected) {
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected);
    }
}
