-- An org chart: employees report to employees, departments nest in departments, and a
-- department's head is an employee who works there (self-references and a nullable cycle).
CREATE TABLE departments (
    dept_id   integer PRIMARY KEY,
    name      text NOT NULL CONSTRAINT departments_name_key UNIQUE,
    parent_id integer CONSTRAINT departments_parent_fk REFERENCES departments (dept_id),
    CONSTRAINT departments_not_own_parent CHECK (parent_id <> dept_id)
);

CREATE TABLE employees (
    emp_id     integer PRIMARY KEY,
    full_name  varchar(100) NOT NULL,
    email      varchar(100) NOT NULL CONSTRAINT employees_email_key UNIQUE,
    dept_id    integer NOT NULL CONSTRAINT employees_dept_fk REFERENCES departments (dept_id),
    manager_id integer CONSTRAINT employees_manager_fk REFERENCES employees (emp_id) ON DELETE SET NULL,
    level      smallint NOT NULL CONSTRAINT employees_level_range CHECK (level BETWEEN 1 AND 10),
    salary     numeric(10, 2) NOT NULL CONSTRAINT employees_salary_positive CHECK (salary > 0),
    hired_on   date NOT NULL,
    left_on    date,
    CONSTRAINT employees_not_own_manager CHECK (manager_id IS NULL OR manager_id <> emp_id),
    CONSTRAINT employees_left_after_hired CHECK (left_on IS NULL OR left_on > hired_on)
);

ALTER TABLE departments ADD COLUMN head_id integer CONSTRAINT departments_head_fk REFERENCES employees (emp_id);

CREATE TABLE mentorships (
    mentor_id integer NOT NULL CONSTRAINT mentorships_mentor_fk REFERENCES employees (emp_id),
    mentee_id integer NOT NULL CONSTRAINT mentorships_mentee_fk REFERENCES employees (emp_id),
    since     date NOT NULL,
    CONSTRAINT mentorships_pkey PRIMARY KEY (mentor_id, mentee_id),
    CONSTRAINT mentorships_distinct CHECK (mentor_id <> mentee_id)
);
