package io.dtxlab.platform.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.ContentNegotiationManager;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Refuses, before the handler runs, a request whose answer cannot be written in any media type its {@code Accept}
 * header allows: 406, as a problem detail ({@code application/problem+json} is sent whatever the {@code Accept}).
 * Without it Spring finds out only when it writes the answer, after the handler has acted: an order placed, paid
 * and answered with a 406.
 *
 * <p>The test is the one Spring applies to the answer: some message converter can write the handler's declared body
 * type ({@code Foo}, or {@code T} of {@code ResponseEntity<T>}) in one of the accepted media types. So our JSON
 * endpoints accept {@code application/json}, {@code application/*+json}, {@code application/*}, {@code *}{@code /*}
 * and no {@code Accept} at all. Handlers without a body ({@code void}, {@code ResponseEntity<Void>}) are not checked,
 * nor are mappings that declare {@code produces} (Spring matches those against {@code Accept} itself, before the
 * handler), nor error dispatches.
 */
@Component
class AcceptGuard implements HandlerInterceptor, WebMvcConfigurer {

    private final ObjectProvider<ContentNegotiationManager> negotiation;
    private final ObjectProvider<RequestMappingHandlerAdapter> adapter;
    private final Map<HandlerMethod, Class<?>> bodyTypes = new ConcurrentHashMap<>();

    AcceptGuard(ObjectProvider<ContentNegotiationManager> negotiation,
            ObjectProvider<RequestMappingHandlerAdapter> adapter) {
        this.negotiation = negotiation;
        this.adapter = adapter;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotAcceptableException {
        if (!(handler instanceof HandlerMethod method) || request.getDispatcherType() != DispatcherType.REQUEST
                || request.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE) != null) {
            return true;
        }
        Class<?> body = bodyTypes.computeIfAbsent(method, AcceptGuard::bodyType);
        if (body == Void.class) {
            return true;
        }
        List<MediaType> accepted = negotiation.getObject().resolveMediaTypes(new ServletWebRequest(request));
        List<MediaType> producible = new ArrayList<>();
        for (HttpMessageConverter<?> converter : adapter.getObject().getMessageConverters()) {
            for (MediaType type : accepted) {
                if (converter.canWrite(body, type)) {
                    return true;
                }
            }
            if (converter.canWrite(body, null)) {
                producible.addAll(converter.getSupportedMediaTypes(body));
            }
        }
        throw new HttpMediaTypeNotAcceptableException(producible);
    }

    /** The type of the answer's body, {@code Void.class} for none. */
    private static Class<?> bodyType(HandlerMethod method) {
        MethodParameter returned = method.getReturnType();
        Class<?> type = returned.getParameterType();
        if (HttpEntity.class.isAssignableFrom(type)) {
            type = ResolvableType.forMethodParameter(returned).as(HttpEntity.class).getGeneric(0).resolve(Object.class);
        }
        return type == void.class ? Void.class : type;
    }
}
