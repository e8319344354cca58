const ContactsStack = require("./ContactsStack");

module.exports = function main(app) {
  new ContactsStack(app, "contacts");
};
