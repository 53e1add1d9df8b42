package io.dtxlab.core.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each node of the cluster can be reached, parsed from {@code id@url,id@url,...}. One string
 * travels well through command lines, environment variables and compose files alike.
 */
public final class Membership {

    private final Map<String, String> urls;

    private Membership(Map<String, String> urls) {
        this.urls = Collections.unmodifiableMap(urls);
    }

    public static Membership parse(String spec) {
        Map<String, String> urls = new LinkedHashMap<>();
        if (spec != null) {
            for (String entry : spec.split(",")) {
                String trimmed = entry.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int at = trimmed.indexOf('@');
                if (at <= 0 || at == trimmed.length() - 1) {
                    throw new IllegalArgumentException(
                            "member '" + trimmed + "' is not of the form id@url, e.g. inventory@http://localhost:8082");
                }
                String id = trimmed.substring(0, at);
                String url = trimmed.substring(at + 1);
                if (!url.startsWith("http://") && !url.startsWith("https://")) {
                    throw new IllegalArgumentException("member '" + id + "' has no http(s) URL: " + url);
                }
                if (urls.put(id, stripSlash(url)) != null) {
                    throw new IllegalArgumentException("member '" + id + "' is listed twice");
                }
            }
        }
        return new Membership(urls);
    }

    public static Membership of(Map<String, String> urls) {
        return new Membership(new LinkedHashMap<>(urls));
    }

    public Optional<String> url(String nodeId) {
        return Optional.ofNullable(urls.get(nodeId));
    }

    public Map<String, String> asMap() {
        return urls;
    }

    public boolean contains(String nodeId) {
        return urls.containsKey(nodeId);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        urls.forEach((id, url) -> sb.append(sb.isEmpty() ? "" : ",").append(id).append('@').append(url));
        return sb.toString();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
