{#- A numeric load setting: the run-level override var `name` when given, else `default`;
    an override outside [low, high] stops the run with an error naming the setting. -#}
{% macro etl_setting(name, default, low, high) %}
    {% set raw = var(name, '') %}
    {% if raw is none or (raw | string) == '' %}
        {{ return(default if default is none else default | int) }}
    {% endif %}
    {% set text = raw | string %}
    {% if not modules.re.fullmatch('[0-9]+', text) or (text | int) < low or (text | int) > high %}
        {% do exceptions.raise_compiler_error(name ~ "=" ~ text ~ " is invalid for entity " ~ model.name
            ~ ": expected an integer from " ~ low ~ " to " ~ high) %}
    {% endif %}
    {{ return(text | int) }}
{% endmacro %}
