package com.commdesk.api;

import com.commdesk.workflows.client.LogContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Type;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * The ids a request is about, into the MDC for its log lines (RequestLogFilter clears them after):
 * path variables named like a {@link LogContext#ID_KEYS log id} ({paymentId}, {communityId}, ...) and the
 * same-named fields of a JSON request body (e.g. a payment's communityId). Ids only, never other fields.
 */
@Configuration(proxyBeanMethods = false)
public class RequestLogIds implements WebMvcConfigurer {
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> vars) {
                    for (String key : LogContext.ID_KEYS) {
                        String id = vars.get(key) instanceof String v ? LogContext.safe(v) : null;
                        if (id != null) MDC.put(key, id);
                    }
                }
                return true;
            }
        });
    }

    /** Ids in request bodies (records with a paymentId, communityId, ... component). */
    @ControllerAdvice
    static class BodyIds extends RequestBodyAdviceAdapter {
        @Override
        public boolean supports(MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
            return true;
        }

        @Override
        public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
                                    Class<? extends HttpMessageConverter<?>> converterType) {
            LogContext.idsOf(body).forEach(MDC::put);
            return body;
        }
    }
}
