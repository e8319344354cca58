"use strict";

const contacts = { c1: { id: "c1", name: "Ada" } };

exports.list = async () => ({ statusCode: 200, body: JSON.stringify({ prefix: process.env.TABLE_PREFIX, contacts: Object.values(contacts) }) });

exports.update = async (event) => {
  const body = JSON.parse(event.body || "{}");
  contacts[event.pathParameters.id] = { id: event.pathParameters.id, ...body };
  return { statusCode: 200, body: JSON.stringify(contacts[event.pathParameters.id]) };
};
